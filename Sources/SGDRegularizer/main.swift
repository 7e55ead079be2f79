import ImplicitRegCore
import ReadingSupport

BLASRuntime.useRecognisedKernel()

ReadingCommand<SGDRegularizer>.main()
