"""Build hook for the optional C stemmer; all other metadata lives in pyproject.toml.

``optional=True``: if the machine has no C compiler the install still succeeds and
``monitor.text.fast_stemmer`` uses its pure-Python path.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "monitor.text._cstem",
            ["monitor/text/_cstem.c"],
            optional=True,
            extra_compile_args=["-O2"],
        )
    ]
)
