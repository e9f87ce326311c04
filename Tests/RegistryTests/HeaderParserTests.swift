@testable import Registry
import Testing

@Suite struct HeaderParserTests {
    @Test func parsesBearerChallengeWithQuotedValues() {
        let challenges = AuthChallenge.parse(#"Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push""#)
        #expect(challenges == [AuthChallenge(scheme: "bearer", parameters: [
            "realm": "https://auth.example/token", "service": "registry.example", "scope": "repository:a/b:pull,push",
        ])])
    }

    @Test func parsesSeveralChallengesAndEscapes() {
        let challenges = AuthChallenge.parse(#"Basic realm="say \"hi\"", Bearer realm="https://t/x",error="insufficient_scope""#)
        #expect(challenges.map(\.scheme) == ["basic", "bearer"])
        #expect(challenges[0].parameters["realm"] == #"say "hi""#)
        #expect(challenges[1].parameters["error"] == "insufficient_scope")
    }

    @Test func toleratesGarbage() {
        #expect(AuthChallenge.parse("").isEmpty)
        #expect(AuthChallenge.parse("Bearer").first?.scheme == "bearer")
        _ = AuthChallenge.parse(#"=,,"unterminated"#)
    }

    @Test func findsTheNextLink() {
        #expect(nextLink(#"</v2/_catalog?last=b&n=7>; rel="next""#) == "/v2/_catalog?last=b&n=7")
        #expect(nextLink(#"<https://x/prev>; rel="prev", </v2/t?last=c>; rel=next"#) == "/v2/t?last=c")
        #expect(nextLink(#"</v2/x>; rel="prev""#) == nil)
        #expect(nextLink("garbage") == nil)
        #expect(nextLink("<>; rel=next") == nil)
    }
}
