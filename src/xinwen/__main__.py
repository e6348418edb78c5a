from xinwen.cli import main

main()
