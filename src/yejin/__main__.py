from yejin.cli import main

main()
