from book.cli import run

run()
