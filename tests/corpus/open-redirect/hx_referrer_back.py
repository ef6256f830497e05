# "Back" button redirects to the Referer header.
# expect: mamori:python/open-redirect line=11
from flask import Flask, redirect, request

app = Flask(__name__)


@app.post("/cart/add")
def add_to_cart():
    sku = request.form.get("sku")
    return redirect(request.referrer or "/cart")
