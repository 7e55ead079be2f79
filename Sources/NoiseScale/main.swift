import ReadingSupport

ReadingCommand<NoiseScale>.main()
