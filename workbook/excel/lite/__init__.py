"""radit's xlwings Lite module: main.py here is what an analyst pastes into xlwings Lite."""
