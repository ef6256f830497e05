# Flask-RESTful resource: parse_args() output goes into a shell command.
# expect: mamori:python/command-injection line=18
import subprocess

from flask import Flask
from flask_restful import Api, Resource, reqparse

app = Flask(__name__)
api = Api(app)

parser = reqparse.RequestParser()
parser.add_argument("host", type=str, required=True)


class Traceroute(Resource):
    def get(self):
        args = parser.parse_args()
        output = subprocess.getoutput("traceroute -m 10 " + args["host"])
        return {"output": output}


api.add_resource(Traceroute, "/traceroute")
