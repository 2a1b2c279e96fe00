from django.urls import path  # noqa: F401 (the helpers add their paths here)

from gamification import (
    awards_views,
    badge_views,
    leaderboard_views,
    progress_views,
    quiz_views,
    reward_views,
)

app_name = "gamification"

urlpatterns = [
    # Badges and their Open Badges 3.0 credentials.
    path(
        "badges/<int:badge_id>/",
        badge_views.badge_achievement,
        name="badge_achievement",
    ),
    path("badges/<int:badge_id>/art.png", badge_views.badge_art, name="badge_art"),
    path(
        "badges/awards/<uuid:public_id>/", badge_views.award_detail, name="badge_award"
    ),
    path(
        "badges/awards/<uuid:public_id>/credential.jwt",
        badge_views.award_credential_jwt,
        name="badge_credential_jwt",
    ),
    path(
        "badges/awards/<uuid:public_id>/credential.json",
        badge_views.award_credential_json,
        name="badge_credential_json",
    ),
    path(
        "badges/awards/<uuid:public_id>/badge.png",
        badge_views.award_baked_png,
        name="badge_baked_png",
    ),
    path(
        "badges/awards/<uuid:public_id>/revoke/",
        badge_views.award_revoke,
        name="badge_award_revoke",
    ),
    path("badges/verify/", badge_views.verify, name="badge_verify"),
    path(
        "badges/verify/<uuid:public_id>/",
        badge_views.verify_award,
        name="badge_verify_award",
    ),
    path("badges/issuers/<int:school_id>/", badge_views.issuer, name="badge_issuer"),
    path(
        "badges/issuers/<int:school_id>/status/revocation",
        badge_views.status_list,
        name="badge_status_list",
    ),
    # The live quiz game.
    path("quiz/join/", quiz_views.quiz_join, name="quiz_join"),
    path("quiz/<int:game_id>/play/", quiz_views.quiz_play, name="quiz_play"),
    path("quiz/<int:game_id>/host/", quiz_views.quiz_host, name="quiz_host"),
    path(
        "quiz/<int:game_id>/results.csv",
        quiz_views.quiz_results_csv,
        name="quiz_results_csv",
    ),
    # Progress, teachers' awards, rewards and leaderboards.
    path("", progress_views.points_home, name="home"),
    path("me/", progress_views.me, name="me"),
    path("me/privacy/", progress_views.me_privacy, name="me_privacy"),
    path("child/<int:pupil_id>/", progress_views.child, name="child"),
    path("class/<int:class_id>/", awards_views.class_points, name="class_points"),
    path("class/<int:class_id>/award/", awards_views.class_award, name="class_award"),
    path(
        "class/<int:class_id>/entries/<int:entry_id>/reverse/",
        awards_views.class_reverse,
        name="class_reverse",
    ),
    path("class/<int:class_id>/skills/", awards_views.skill_add, name="skill_add"),
    path(
        "class/<int:class_id>/skills/<int:skill_id>/archive/",
        awards_views.skill_archive,
        name="skill_archive",
    ),
    path("class/<int:class_id>/teams/", awards_views.team_add, name="team_add"),
    path(
        "class/<int:class_id>/teams/<int:team_id>/delete/",
        awards_views.team_delete,
        name="team_delete",
    ),
    path(
        "class/<int:class_id>/leaderboard/",
        leaderboard_views.class_leaderboard,
        name="class_leaderboard",
    ),
    path(
        "school/<int:school_id>/leaderboard/",
        leaderboard_views.school_leaderboard,
        name="school_leaderboard",
    ),
    path("rewards/", reward_views.reward_catalogue, name="rewards"),
    path("rewards/<int:reward_id>/buy/", reward_views.reward_buy, name="reward_buy"),
    path("rewards/manage/", reward_views.reward_manage, name="reward_manage"),
    path(
        "rewards/manage/<int:reward_id>/",
        reward_views.reward_edit,
        name="reward_edit",
    ),
    path(
        "rewards/purchases/<int:purchase_id>/given/",
        awards_views.purchase_given,
        name="purchase_given",
    ),
]
