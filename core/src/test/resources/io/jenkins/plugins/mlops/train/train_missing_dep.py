"""Imports a package that is not installed in the agent's environment."""
import numpy as np
import mlops_package_that_is_not_installed  # noqa: F401

print(np.zeros(1))
