import Foundation

// `newslint --online` runs this helper for its URL checks (see `HelperURLChecker`), so that
// `newslint` itself does not load FoundationNetworking. Request on stdin, results on stdout.
guard let response = OnlineHelperService.respond(to: FileHandle.standardInput.readDataToEndOfFile()) else {
    FileHandle.standardError.write(Data("newslint-online: expected a URL check request from newslint on stdin\n".utf8))
    exit(2)
}
FileHandle.standardOutput.write(response)
exit(0)
