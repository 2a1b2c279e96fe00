"""Writes of the rewards catalogue: buying with points and handing out."""

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gamification.ledger import points_spend
from gamification.models import PurchaseStatus, Reward, RewardKind, RewardPurchase
from school.models import User


@transaction.atomic
def reward_save(*, reward: Reward) -> Reward:
    """Creates or changes a catalogue entry (the form validated it)."""
    reward.full_clean()
    reward.save()
    return reward


@transaction.atomic
def reward_buy(*, pupil: User, reward_id: int, public_id: uuid.UUID) -> RewardPurchase:
    """Buys the reward for the pupil with points: one spending entry
    "reward:<public_id>" and one purchase row. The same `public_id` again returns
    the first purchase and spends nothing.

    Locks the reward row (so stock is taken by one buyer at a time), then the
    pupil's account (in points_spend). ValidationError when the reward is not on
    sale, sold out or the pupil has too few points; nothing changes then.
    """
    reward = Reward.objects.select_for_update().filter(pk=reward_id).first()
    if reward is None or not reward.active:
        raise ValidationError(_("This reward is not on sale."))
    # The form's own idempotency key; another pupil's purchase is refused below.
    done = RewardPurchase.objects.filter(public_id=public_id).first()  # nosemgrep
    if done is not None:
        if done.pupil_id != pupil.pk:
            raise ValidationError(_("This purchase form is not yours."))
        return done
    if reward.stock is not None and reward.stock < 1:
        raise ValidationError(_("This reward is sold out."))
    entry = points_spend(
        pupil=pupil,
        source_key=f"reward:{public_id}",
        amount=reward.price,
        reason=reward.name,
    )
    if entry is None:
        raise ValidationError(_("This purchase form was already used."))
    if reward.stock is not None:
        Reward.objects.filter(pk=reward.pk).update(stock=F("stock") - 1)
    given = reward.kind == RewardKind.STICKER
    return RewardPurchase.objects.create(
        public_id=public_id,
        pupil=pupil,
        reward=reward,
        entry=entry,
        status=PurchaseStatus.GIVEN if given else PurchaseStatus.PENDING,
        given_at=timezone.now() if given else None,
    )


@transaction.atomic
def purchase_give(*, purchase_id: int, by: User) -> RewardPurchase:
    """Marks a privilege as handed out; handing it out twice changes nothing."""
    purchase = RewardPurchase.objects.select_for_update().get(pk=purchase_id)
    if purchase.status == PurchaseStatus.PENDING:
        purchase.status = PurchaseStatus.GIVEN
        purchase.given_at = timezone.now()
        purchase.given_by = by
        purchase.save(update_fields=["status", "given_at", "given_by"])
    return purchase
