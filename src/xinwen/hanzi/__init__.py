"""hanzi: the one place where Chinese text is transformed (script conversion, detection, pinyin)."""
