# Widget state restored with jsonpickle from the request body.
# expect: mamori:python/unsafe-deserialization line=12
import jsonpickle
from flask import Flask, request

app = Flask(__name__)


@app.put("/widgets/<int:widget_id>/state")
def restore_state(widget_id: int):
    body = request.get_data(as_text=True)
    state = jsonpickle.decode(body)
    return {"widget": widget_id, "type": type(state).__name__}
