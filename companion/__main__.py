from companion.startup import main

main()
