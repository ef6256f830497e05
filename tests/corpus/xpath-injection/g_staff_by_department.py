# staff_by_department (fastapi-request, helper): untrusted request data reaches the sink
# expect: mamori:python/xpath-injection line=11
from fastapi import FastAPI, Request
from lxml import etree

app = FastAPI()

def staff_by_department_job(value):
    doc = etree.parse("/srv/data/staff.xml")
    expr = "//employee[department='%s']/name" % value
    names = doc.xpath(expr)


@app.get("/staff")
async def staff_by_department(request: Request):
    department = request.query_params.get("department", "")
    staff_by_department_job(department)
    return {"status": "ok"}
