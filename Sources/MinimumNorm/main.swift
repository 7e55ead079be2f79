import ImplicitRegCore
import ReadingSupport

BLASRuntime.useRecognisedKernel()

ReadingCommand<MinimumNorm>.main()
