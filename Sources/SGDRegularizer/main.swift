import ReadingSupport

ReadingCommand<SGDRegularizer>.main()
