# random for a quiz order: not a security value.
# expect: none
import random

def quiz_order(questions):
    order = random.sample(questions, len(questions))
    return order
