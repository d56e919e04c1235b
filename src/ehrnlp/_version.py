"""The package version (its own module so that layers which must not import the package
root, such as :mod:`ehrnlp.fhir`, can read it)."""

__version__ = "0.1.0"
