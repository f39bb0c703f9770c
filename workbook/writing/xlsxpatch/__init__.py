"""Surgical .xlsx/.xlsm package writing: copy every part radit does not own, replace or add only its own.

Nothing is imported here: the Excel add-in (and its Lite bundle) loads only the plain content model (model.py).
"""
