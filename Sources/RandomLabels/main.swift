import ReadingSupport

ReadingCommand<RandomLabels>.main()
