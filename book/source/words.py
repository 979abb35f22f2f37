# ruff: noqa: RUF001 (typographic apostrophes are intended in these words)
"""The few words the tool itself prints into a book, in the book's language.

Chapter labels, captions, the contents and the navigation of the e-book, and
the quotation marks smart quotes become. English is the fallback.
"""

from __future__ import annotations

from typing import Final

WORDS: Final[dict[str, dict[str, str]]] = {
    "en": {
        "chapter": "Chapter",
        "appendix": "Appendix",
        "contents": "Contents",
        "figure": "Figure",
        "table": "Table",
        "cover": "Cover",
        "titlepage": "Title page",
        "start": "Start of content",
        "back": "Back matter",
        "pages": "Pages of the print edition",
        "read": "Start reading",
    },
    "de": {
        "chapter": "Kapitel",
        "appendix": "Anhang",
        "contents": "Inhalt",
        "figure": "Abbildung",
        "table": "Tabelle",
        "cover": "Umschlag",
        "titlepage": "Titelseite",
        "start": "Textbeginn",
        "back": "Anhang",
        "pages": "Seiten der Druckausgabe",
        "read": "Lesen",
    },
    "fr": {
        "chapter": "Chapitre",
        "appendix": "Annexe",
        "contents": "Table des matières",
        "figure": "Figure",
        "table": "Tableau",
        "cover": "Couverture",
        "titlepage": "Page de titre",
        "start": "Début du texte",
        "back": "Annexes",
        "pages": "Pages de l’édition imprimée",
        "read": "Commencer la lecture",
    },
    "es": {
        "chapter": "Capítulo",
        "appendix": "Apéndice",
        "contents": "Índice",
        "figure": "Figura",
        "table": "Tabla",
        "cover": "Cubierta",
        "titlepage": "Portada",
        "start": "Inicio del texto",
        "back": "Apéndices",
        "pages": "Páginas de la edición impresa",
        "read": "Empezar a leer",
    },
    "it": {
        "chapter": "Capitolo",
        "appendix": "Appendice",
        "contents": "Indice",
        "figure": "Figura",
        "table": "Tabella",
        "cover": "Copertina",
        "titlepage": "Frontespizio",
        "start": "Inizio del testo",
        "back": "Appendici",
        "pages": "Pagine dell’edizione a stampa",
        "read": "Inizia a leggere",
    },
    "ru": {
        "chapter": "Глава",
        "appendix": "Приложение",
        "contents": "Содержание",
        "figure": "Рисунок",
        "table": "Таблица",
        "cover": "Обложка",
        "titlepage": "Титульный лист",
        "start": "Начало текста",
        "back": "Приложения",
        "pages": "Страницы печатного издания",
        "read": "Начать чтение",
    },
}

QUOTES: Final[dict[str, tuple[str, str, str, str]]] = {
    "en": ("\u2018", "\u2019", "\u201c", "\u201d"),
    "de": ("\u201a", "\u2018", "\u201e", "\u201c"),
    "fr": ("\u2039\u202f", "\u202f\u203a", "\u00ab\u202f", "\u202f\u00bb"),
    "es": ("\u2018", "\u2019", "\u00ab", "\u00bb"),
    "it": ("\u2018", "\u2019", "\u00ab", "\u00bb"),
    "ru": ("\u201e", "\u201c", "\u00ab", "\u00bb"),
}
"""(left single, right single, left double, right double) quotation marks."""


def _primary(language: str) -> str:
    return language.split("-")[0].lower()


def word(language: str, key: str) -> str:
    """A word of the book's language (English when we do not have it)."""
    return WORDS.get(_primary(language), WORDS["en"])[key]


def words_for(language: str) -> dict[str, str]:
    """All the words, for templates."""
    return WORDS.get(_primary(language), WORDS["en"])


def quotes(language: str) -> tuple[str, str, str, str]:
    """The quotation marks of the book's language."""
    return QUOTES.get(_primary(language), QUOTES["en"])
