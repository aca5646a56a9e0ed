"""Inter-coder agreement (Cohen's kappa, Krippendorff's alpha) and scores against gold labels.

A pure library on plain Python/numpy data: no database, no pandas. See `coding.stats.agreement` for the API.
"""
