import ImplicitRegCore
import ReadingSupport

BLASRuntime.useRecognisedKernel()

ReadingCommand<RandomLabels>.main()
