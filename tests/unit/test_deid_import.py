"""Presidio's Hugging Face modules are kept out of ehrnlp's load (import time), safely."""

import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

CODE = """
import sys
{pre}
from ehrnlp.config import DeidConfig
from ehrnlp.deid import DeidStage
from ehrnlp.model import Document
stage = DeidStage(DeidConfig())
text = "Seen by Dr. Alma Quist on 03/14/2019, call 503-555-0100."
doc = stage(Document(text=text, source_text=text))
print(sorted(p.label for p in doc.phi), "transformers.pipelines" in sys.modules)
"""


@pytest.mark.parametrize("pre, pipelines_loaded", [("", False), ("import presidio_analyzer", True)])
def test_deid_works_with_and_without_the_stand_ins(pre, pipelines_loaded):
    out = subprocess.run([sys.executable, "-c", CODE.format(pre=pre)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    labels, loaded = out.stdout.strip().rsplit(" ", 1)
    assert labels == "['DATE', 'NAME', 'PHONE']"
    assert loaded == str(pipelines_loaded)
