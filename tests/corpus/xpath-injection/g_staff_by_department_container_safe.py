# staff_by_department (fastapi-request, dict): only a constant element of the container reaches the sink: safe
# expect: none
from fastapi import FastAPI, Request
from lxml import etree

app = FastAPI()

@app.get("/staff")
async def staff_by_department(request: Request):
    department = request.query_params.get("department", "")
    options = {"department": department, "page_size": "50"}
    doc = etree.parse("/srv/data/staff.xml")
    expr = "//employee[department='%s']/name" % options["page_size"]
    names = doc.xpath(expr)
    return {"status": "ok"}
