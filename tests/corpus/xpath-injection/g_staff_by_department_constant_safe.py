# staff_by_department (fastapi-request, helper): the request value is always replaced by a constant before use: safe
# expect: none
from fastapi import FastAPI, Request
from lxml import etree

app = FastAPI()
DEFAULT_DEPARTMENT = "default"

def staff_by_department_job(value):
    doc = etree.parse("/srv/data/staff.xml")
    expr = "//employee[department='%s']/name" % value
    names = doc.xpath(expr)


@app.get("/staff")
async def staff_by_department(request: Request):
    department = request.query_params.get("department", "")
    # The client-supplied department is no longer honoured; the default always applies.
    department = DEFAULT_DEPARTMENT
    staff_by_department_job(department)
    return {"status": "ok"}
