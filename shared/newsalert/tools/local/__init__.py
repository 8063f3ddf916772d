"""The local runtime: template.yaml deployed into embedded AWS (moto), driven in-process.

Never imported by a Lambda function: it needs moto and aws-sam-translator, which only the
``local`` extra installs. (It travels in the layer because ``sam build`` copies all of
``shared/``; it is a few kilobytes of source that nothing there imports.)
"""
