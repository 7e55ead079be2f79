import ImplicitRegCore
import ReadingSupport

BLASRuntime.useRecognisedKernel()

ReadingCommand<GradientRegularization>.main()
