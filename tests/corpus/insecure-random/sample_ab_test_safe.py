# random.sample to pick users for an A/B test: not a security value.
# expect: none
import random


def pick_cohort(user_ids: list[int]) -> list[int]:
    cohort = random.sample(user_ids, k=min(100, len(user_ids)))
    return cohort
