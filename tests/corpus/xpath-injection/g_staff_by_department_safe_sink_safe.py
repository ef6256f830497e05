# staff_by_department (fastapi-request, helper): the same data goes through the safe form of the API: safe
# expect: none
from fastapi import FastAPI, Request
from lxml import etree

app = FastAPI()

def staff_by_department_job(value):
    doc = etree.parse("/srv/data/staff.xml")
    names = doc.xpath("//employee[department=$dep]/name", dep=value)


@app.get("/staff")
async def staff_by_department(request: Request):
    department = request.query_params.get("department", "")
    staff_by_department_job(department)
    return {"status": "ok"}
