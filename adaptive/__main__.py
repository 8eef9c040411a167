from adaptive.cli import main

main()
