# "You may also like": a random sample of products.
# expect: none
import random

from flask import Flask

app = Flask(__name__)
PRODUCTS = [f"sku-{i}" for i in range(200)]


@app.get("/recommendations")
def recommendations():
    picks = random.sample(PRODUCTS, k=4)
    return {"products": picks}
