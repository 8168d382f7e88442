"""Build hook for the optional C extensions; all other metadata lives in pyproject.toml.

``optional=True``: if the machine has no C compiler the install still succeeds and
``monitor.text.fast_stemmer`` (``_cstem``) and ``monitor.text.pipeline`` (``_cnorm``) use
their pure-Python paths.
"""

import glob

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "monitor.text._cstem",
            ["monitor/text/_cstem.c"],
            optional=True,
            extra_compile_args=["-O2"],
        ),
        Extension(
            "monitor.text._cnorm",
            ["monitor/text/_cnorm.c"],
            # _cnorm.c includes these parts (one translation unit): rebuild when one changes.
            depends=sorted(glob.glob("monitor/text/cnorm/*.c")),
            optional=True,
            # No FMA contraction: float results must equal Python's operation by operation.
            extra_compile_args=["-O2", "-ffp-contract=off"],
        ),
    ]
)
