# staff_by_department (fastapi-request, helper): the value is checked against an allow-list first: safe
# expect: none
from fastapi import FastAPI, Request
from lxml import etree

app = FastAPI()
ALLOWED_DEPARTMENTS = frozenset({"alpha", "beta", "main"})

def staff_by_department_job(value):
    doc = etree.parse("/srv/data/staff.xml")
    expr = "//employee[department='%s']/name" % value
    names = doc.xpath(expr)


@app.get("/staff")
async def staff_by_department(request: Request):
    department = request.query_params.get("department", "")
    if department not in ALLOWED_DEPARTMENTS:
        raise ValueError("unsupported department")
    staff_by_department_job(department)
    return {"status": "ok"}
