import ReadingSupport

ReadingCommand<MinimumNorm>.main()
