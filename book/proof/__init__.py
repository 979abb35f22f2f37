"""What editors need: the proof edition's stamp, watermark and paragraph
anchors (``edition``) and the list of open changes (``changes``).
"""
