import ImplicitRegCore
import ReadingSupport

BLASRuntime.useRecognisedKernel()

ReadingCommand<NoiseScale>.main()
