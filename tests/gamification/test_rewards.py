"""The rewards catalogue: buying spends points once, never overdraws, takes stock
safely; school administrators manage it; privileges are handed out."""

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse

from gamification import ledger, rewards
from gamification.models import (
    EntryKind,
    PointsAccount,
    PointsEntry,
    PurchaseStatus,
    Reward,
    RewardKind,
    RewardPurchase,
)

pytestmark = pytest.mark.django_db


def earn(pupil, amount: int, key: str = "h5p:1"):
    ledger.points_award(pupil=pupil, source_key=key, kind=EntryKind.H5P, amount=amount)


def make_reward(school, **fields) -> Reward:
    fields = {"name": "Наклейка", "price": 5, **fields}
    return Reward.objects.create(school=school, **fields)


def balance(pupil) -> int:
    return PointsAccount.objects.get(pupil=pupil).balance


def buy(pupil, reward, public_id=None):
    return rewards.reward_buy(
        pupil=pupil, reward_id=reward.pk, public_id=public_id or uuid.uuid4()
    )


# --- The service


def test_a_sticker_is_bought_with_points_and_given_at_once(city):
    earn(city.pupil_in, 8)
    reward = make_reward(city.school_one)
    purchase = buy(city.pupil_in, reward)
    assert purchase.status == PurchaseStatus.GIVEN
    assert purchase.entry.source_key == f"reward:{purchase.public_id}"
    assert (purchase.entry.amount, purchase.entry.xp) == (-5, 0)
    assert balance(city.pupil_in) == 3
    assert PointsAccount.objects.get(pupil=city.pupil_in).xp == 8


def test_a_privilege_waits_to_be_handed_out(city):
    earn(city.pupil_in, 8)
    reward = make_reward(city.school_one, kind=RewardKind.PRIVILEGE)
    purchase = buy(city.pupil_in, reward)
    assert purchase.status == PurchaseStatus.PENDING
    rewards.purchase_give(purchase_id=purchase.pk, by=city.teacher)
    purchase.refresh_from_db()
    assert purchase.status == PurchaseStatus.GIVEN
    assert purchase.given_by == city.teacher


def test_the_same_form_sent_twice_buys_once(city):
    earn(city.pupil_in, 20)
    reward = make_reward(city.school_one, stock=5)
    form_id = uuid.uuid4()
    first = buy(city.pupil_in, reward, form_id)
    again = buy(city.pupil_in, reward, form_id)
    assert first.pk == again.pk
    assert balance(city.pupil_in) == 15
    reward.refresh_from_db()
    assert reward.stock == 4


def test_too_few_points_buys_nothing(city):
    earn(city.pupil_in, 4)
    reward = make_reward(city.school_one, stock=3)
    with pytest.raises(ValidationError):
        buy(city.pupil_in, reward)
    assert balance(city.pupil_in) == 4
    reward.refresh_from_db()
    assert reward.stock == 3
    assert not RewardPurchase.objects.exists()


def test_sold_out_and_withdrawn_rewards_are_not_sold(city):
    earn(city.pupil_in, 50)
    sold_out = make_reward(city.school_one, stock=0)
    withdrawn = make_reward(city.school_one, active=False)
    for reward in (sold_out, withdrawn):
        with pytest.raises(ValidationError):
            buy(city.pupil_in, reward)
    assert balance(city.pupil_in) == 50


def test_someone_elses_form_id_is_refused(city):
    earn(city.pupil_in, 10)
    earn(city.pupil_out, 10)
    reward = make_reward(city.school_one)
    form_id = uuid.uuid4()
    buy(city.pupil_in, reward, form_id)
    with pytest.raises(ValidationError):
        buy(city.pupil_out, reward, form_id)
    assert balance(city.pupil_out) == 10


def _concurrently(pupil, reward, times: int) -> list:
    def attempt(_n):
        try:
            return buy(pupil, reward)
        except ValidationError:
            return None
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=times) as pool:
        return [p for p in pool.map(attempt, range(times)) if p]


@pytest.mark.django_db(transaction=True)
def test_five_concurrent_purchases_with_money_for_two(city):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite runs them one by one)")
    earn(city.pupil_in, 10)
    reward = make_reward(city.school_one, price=5)
    bought = _concurrently(city.pupil_in, reward, 5)
    assert len(bought) == 2
    assert balance(city.pupil_in) == 0
    assert PointsEntry.objects.filter(kind=EntryKind.REWARD).count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_purchases_never_sell_more_than_the_stock(city):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite runs them one by one)")
    earn(city.pupil_in, 100)
    reward = make_reward(city.school_one, price=5, stock=2)
    bought = _concurrently(city.pupil_in, reward, 5)
    assert len(bought) == 2
    reward.refresh_from_db()
    assert reward.stock == 0
    assert balance(city.pupil_in) == 90


# --- Pupils' pages


def test_pupil_sees_only_their_schools_rewards(client, city):
    mine = make_reward(city.school_one, name="mine")
    theirs = make_reward(city.school_two, name="theirs")
    client.force_login(city.pupil_in)
    response = client.get(reverse("gamification:rewards"))
    assert response.status_code == 200
    shown = {reward.pk for reward in response.context["rewards"]}
    assert mine.pk in shown
    assert theirs.pk not in shown


def test_pupil_buys_through_the_page_once(client, city):
    earn(city.pupil_in, 12)
    reward = make_reward(city.school_one)
    client.force_login(city.pupil_in)
    url = reverse("gamification:reward_buy", args=[reward.pk])
    form_id = str(uuid.uuid4())
    assert client.post(url, {"form_id": form_id}).status_code == 302
    assert client.post(url, {"form_id": form_id}).status_code == 302
    assert balance(city.pupil_in) == 7


def test_buying_without_points_says_so_and_keeps_everything(client, city):
    reward = make_reward(city.school_one)
    client.force_login(city.pupil_in)
    url = reverse("gamification:reward_buy", args=[reward.pk])
    response = client.post(url, {"form_id": str(uuid.uuid4())})
    assert response.status_code == 409
    assert response.context["error"]
    assert not RewardPurchase.objects.exists()


def test_a_damaged_form_is_a_clear_error(client, city):
    reward = make_reward(city.school_one)
    client.force_login(city.pupil_in)
    url = reverse("gamification:reward_buy", args=[reward.pk])
    assert client.post(url, {"form_id": "nope"}).status_code == 400


def test_another_schools_reward_is_not_for_sale(client, city):
    earn(city.pupil_in, 50)
    reward = make_reward(city.school_two)
    client.force_login(city.pupil_in)
    url = reverse("gamification:reward_buy", args=[reward.pk])
    assert client.post(url, {"form_id": str(uuid.uuid4())}).status_code == 404
    assert balance(city.pupil_in) == 50


@pytest.mark.parametrize("persona", ["teacher", "parent", "admin_one"])
def test_only_pupils_buy(client, city, persona):
    reward = make_reward(city.school_one)
    client.force_login(getattr(city, persona))
    assert client.get(reverse("gamification:rewards")).status_code == 403
    url = reverse("gamification:reward_buy", args=[reward.pk])
    assert client.post(url, {"form_id": str(uuid.uuid4())}).status_code == 403


def test_catalogue_is_one_query_per_list(client, city, django_assert_max_num_queries):
    for n in range(6):
        make_reward(city.school_one, name=f"r{n}")
    client.force_login(city.pupil_in)
    # session, user, roles, rewards, purchases, account
    with django_assert_max_num_queries(10):
        client.get(reverse("gamification:rewards"))


# --- The catalogue's managers


def test_school_admin_adds_and_edits_rewards(client, city):
    client.force_login(city.admin_one)
    url = reverse("gamification:reward_manage")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "school": city.school_one.pk,
            "name": "Место у окна",
            "price": 30,
            "kind": RewardKind.PRIVILEGE,
            "stock": "",
            "active": "on",
        },
    )
    assert response.status_code == 302
    reward = Reward.objects.get(name="Место у окна")
    assert reward.stock is None
    edit = reverse("gamification:reward_edit", args=[reward.pk])
    assert client.get(edit).status_code == 200
    data = {"school": city.school_one.pk, "name": "Окно", "price": 25}
    data |= {"kind": RewardKind.PRIVILEGE, "stock": 3}
    assert client.post(edit, data).status_code == 302
    reward.refresh_from_db()
    assert (reward.name, reward.price, reward.stock, reward.active) == (
        "Окно",
        25,
        3,
        False,
    )


def test_bad_reward_input_is_refused_and_nothing_saved(client, city):
    client.force_login(city.admin_one)
    url = reverse("gamification:reward_manage")
    data = {"school": city.school_one.pk, "name": "X", "price": 0, "kind": "sticker"}
    assert client.post(url, data).status_code == 400
    data |= {"price": 5, "school": city.school_two.pk}
    assert client.post(url, data).status_code == 400
    assert not Reward.objects.exists()


def test_admin_cannot_edit_another_schools_reward(client, city):
    reward = make_reward(city.school_two)
    client.force_login(city.admin_one)
    edit = reverse("gamification:reward_edit", args=[reward.pk])
    assert client.get(edit).status_code == 404


@pytest.mark.parametrize("persona", ["teacher", "pupil_in", "parent"])
def test_only_school_admins_manage(client, city, persona):
    client.force_login(getattr(city, persona))
    assert client.get(reverse("gamification:reward_manage")).status_code == 403


def test_privileges_are_handed_out_by_the_class_teacher_or_admin(client, city):
    earn(city.pupil_in, 20)
    reward = make_reward(city.school_one, kind=RewardKind.PRIVILEGE)
    purchase = buy(city.pupil_in, reward)
    url = reverse("gamification:purchase_given", args=[purchase.pk])
    for outsider in (city.other_teacher, city.admin_two, city.pupil_in, city.parent):
        client.force_login(outsider)
        assert client.post(url).status_code == 404
    purchase.refresh_from_db()
    assert purchase.status == PurchaseStatus.PENDING
    client.force_login(city.teacher)
    response = client.post(url, {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert response.url == reverse("gamification:home")
    purchase.refresh_from_db()
    assert purchase.status == PurchaseStatus.GIVEN


def test_pending_privileges_are_listed_for_their_givers(client, city):
    earn(city.pupil_in, 20)
    reward = make_reward(city.school_one, kind=RewardKind.PRIVILEGE)
    purchase = buy(city.pupil_in, reward)
    marker = f'data-purchase="{purchase.pk}"'
    client.force_login(city.teacher)
    url = reverse("gamification:class_points", args=[city.class_in.pk])
    assert marker in client.get(url).content.decode()
    client.force_login(city.admin_one)
    assert marker in client.get(reverse("gamification:reward_manage")).content.decode()
    client.force_login(city.admin_two)
    assert (
        marker not in client.get(reverse("gamification:reward_manage")).content.decode()
    )
