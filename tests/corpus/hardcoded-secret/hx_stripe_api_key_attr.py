# Payment library configured with a literal API key on the module attribute.
# expect: mamori:python/hardcoded-secret line=7
import stripe
from flask import Flask

app = Flask(__name__)
stripe.api_key = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
