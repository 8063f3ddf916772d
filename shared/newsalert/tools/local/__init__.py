"""The local runtime: template.yaml deployed into embedded AWS (moto), driven in-process.

Never imported by a Lambda function, and not in the layer (shared/Makefile leaves
``newsalert/tools`` out): it needs moto and aws-sam-translator, which only the ``local`` extra
installs.
"""
