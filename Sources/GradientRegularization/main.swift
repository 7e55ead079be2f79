import ReadingSupport

ReadingCommand<GradientRegularization>.main()
