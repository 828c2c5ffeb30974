import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// Runs an external program (dev-time validators such as Python jsonschema and sarif-tools).
struct ExternalRun {
    var status: Int32
    var stdout: String
    var stderr: String

    static func run(_ executable: String, _ args: [String], stdin: String? = nil) throws -> ExternalRun {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [executable] + args
        let out = Pipe(), err = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return ExternalRun(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}

/// A minimal DOM from Foundation's XML parser: enough to check well-formedness and find values.
final class XMLTree: NSObject, XMLParserDelegate {
    final class Element {
        let name: String
        let attributes: [String: String]
        var children: [Element] = []
        var text = ""
        init(name: String, attributes: [String: String]) {
            self.name = name
            self.attributes = attributes
        }
        /// All descendants (depth first) including self.
        var all: [Element] { [self] + children.flatMap(\.all) }
        /// Text of this element and its descendants.
        var deepText: String { text + children.map(\.deepText).joined() }
    }

    private var stack: [Element] = []
    private(set) var root: Element?
    private(set) var error: Error?

    static func parse(_ text: String) -> (XMLTree.Element?, Error?) {
        let tree = XMLTree()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = tree
        let ok = parser.parse()
        return (ok ? tree.root : nil, tree.error ?? parser.parserError)
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        let e = Element(name: elementName, attributes: attributeDict)
        if let top = stack.last { top.children.append(e) } else { root = e }
        stack.append(e)
    }
    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        stack.removeLast()
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last?.text += string }
    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { error = parseError }
}

enum ReportFixtures {
    static var corpus: URL { PackagePaths.fixtures.appendingPathComponent("reports/corpus") }
    static var sarifSchema: URL {
        PackagePaths.root.appendingPathComponent("../shared/schemas/sarif-schema-2.1.0.json").standardizedFileURL
    }
}
