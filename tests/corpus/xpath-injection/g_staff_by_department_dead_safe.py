# staff_by_department (fastapi-request, helper): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from fastapi import FastAPI, Request
from lxml import etree

app = FastAPI()
LEGACY_MODE = False
FALLBACK = "fallback"

def staff_by_department_job(value):
    doc = etree.parse("/srv/data/staff.xml")
    expr = "//employee[department='%s']/name" % value
    names = doc.xpath(expr)


@app.get("/staff")
async def staff_by_department(request: Request):
    department = request.query_params.get("department", "")
    if LEGACY_MODE:
        staff_by_department_job(department)
    else:
        staff_by_department_job(FALLBACK)
    return {"status": "ok"}
