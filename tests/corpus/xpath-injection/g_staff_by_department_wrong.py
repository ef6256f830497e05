# staff_by_department (fastapi-request, helper): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/xpath-injection line=12
from fastapi import FastAPI, Request
from lxml import etree
import shlex

app = FastAPI()

def staff_by_department_job(value):
    doc = etree.parse("/srv/data/staff.xml")
    expr = "//employee[department='%s']/name" % value
    names = doc.xpath(expr)


@app.get("/staff")
async def staff_by_department(request: Request):
    department = request.query_params.get("department", "")
    department = shlex.quote(department)
    staff_by_department_job(department)
    return {"status": "ok"}
