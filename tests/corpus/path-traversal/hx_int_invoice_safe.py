# Invoice id from an int route converter used in a file name.
# expect: none
from flask import Flask, send_file

app = Flask(__name__)


@app.get("/invoices/<int:invoice_id>/pdf")
def invoice_pdf(invoice_id: int):
    return send_file(f"/srv/invoices/{invoice_id}.pdf", mimetype="application/pdf")
