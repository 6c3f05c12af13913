from wzt_bot.cli import main

main()
