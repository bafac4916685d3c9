// Runs after the second build of the published modules (release-check's "release-dry-run" invoker execution).
// Variables: basedir (the copy that was built again), mainRoot (the build being verified), version.
import java.util.zip.ZipFile

def main = new File(mainRoot)
def second = basedir
def problems = []
def notes = []

def published = ['rpc-core', 'rpc-pipe', 'rpc-web', 'rpc-test']
// what the test kit gives its users on purpose (they add rpc-test at test scope): the JUnit API and reactor-test
def testKitDependencies = ['rpc-test': ['org.junit.jupiter:junit-jupiter-api', 'io.projectreactor:reactor-test']]
// cyclonedx-maven-plugin skips itself in offline mode (-o), and the second build is offline when this one is
def isOffline = new File(second, 'build.log').with { it.isFile() && it.text.contains('requires online mode') }

// --- 1. What the main build made for each published module --------------------------------------------------
def pomOf = { File f -> new groovy.xml.XmlSlurper().parse(f) }
def checkPom = { String module, File pom ->
    if (!pom.isFile()) { problems << "${module}: no flattened POM at ${pom}"; return }
    def text = pom.text
    if (text.contains('${')) problems << "${module}: the installed POM still has a \${...} expression: ${pom}"
    def p = pomOf(pom)
    if (p.parent.size() > 0) problems << "${module}: the installed POM names a parent (Central users cannot resolve plumb-parent)"
    if (p.version.text() != version) problems << "${module}: the installed POM's version is '${p.version.text()}', not ${version}"
    ['name', 'description', 'url'].each { if (!p."${it}".text().trim()) problems << "${module}: POM without <${it}>" }
    if (!p.licenses.license.name.text().trim()) problems << "${module}: POM without a licence"
    if (!p.developers.developer.size()) problems << "${module}: POM without developers"
    if (!p.scm.url.text().trim() || !p.scm.connection.text().trim()) problems << "${module}: POM without SCM url/connection"
    p.dependencies.dependency.findAll { it.scope.text() in ['', 'compile', 'runtime'] }.each { d ->
        def ga = "${d.groupId.text()}:${d.artifactId.text()}"
        if (ga ==~ /(junit:.*|org\.junit.*|org\.assertj:.*|io\.projectreactor:reactor-test|io\.projectreactor\.tools:.*|org\.slf4j:slf4j-simple|ch\.qos\.logback:.*)/
                && !(ga.toString() in testKitDependencies.get(module.toString(), [])))
            problems << "${module}: the installed POM gives users the test dependency ${ga}"
        if (ga.startsWith('dev.plumb:') && !(d.artifactId.text() in published))
            problems << "${module}: the installed POM depends on the unpublished ${ga}"
    }
    return p
}

def bom = checkPom('plumb-bom', new File(main, 'plumb-bom/target/flattened-pom.xml'))
if (bom != null) {
    def managed = bom.dependencyManagement.dependencies.dependency.collect { "${it.artifactId.text()}:${it.version.text()}" } as Set
    published.each { if (!("${it}:${version}" in managed)) problems << "plumb-bom: does not manage dev.plumb:${it}:${version} (manages ${managed})" }
}
published.each { m ->
    checkPom(m, new File(main, "${m}/target/flattened-pom.xml"))
    ['', '-sources', '-javadoc'].each { c ->
        def jar = new File(main, "${m}/target/${m}-${version}${c}.jar")
        if (!jar.isFile()) { problems << "${m}: no ${jar.name}"; return }
        new ZipFile(jar).withCloseable { z ->
            if (c == '') {
                def mf = new String(z.getInputStream(z.getEntry('META-INF/MANIFEST.MF')).readAllBytes(), 'UTF-8')
                def expected = 'dev.plumb.' + m.replace('-', '.')
                if (!mf.contains("Automatic-Module-Name: ${expected}")) problems << "${m}: the jar's manifest has no Automatic-Module-Name: ${expected}"
            }
            if (c == '-javadoc' && z.getEntry('index.html') == null) problems << "${m}: ${jar.name} has no index.html"
            if (c == '-javadoc' && z.entries().toList().any { it.name.contains('/internal/') && it.name.endsWith('.html') })
                problems << "${m}: ${jar.name} documents internal packages"
            if (c == '-sources' && !z.entries().toList().any { it.name.endsWith('.java') }) problems << "${m}: ${jar.name} has no sources"
        }
    }
    def sbom = new File(main, "${m}/target/${m}-${version}-cyclonedx.json")
    if (!sbom.isFile()) {
        if (isOffline) notes << "${m}: no SBOM (cyclonedx-maven-plugin skips itself offline)"
        else problems << "${m}: no SBOM ${sbom.name}"
    }
}

// --- 2. Reproducibility: what the second build made equals the first, byte for byte --------------------------
def entriesDiffer = { File a, File b ->
    def out = []
    new ZipFile(a).withCloseable { za -> new ZipFile(b).withCloseable { zb ->
        def ea = za.entries().toList().collectEntries { [(it.name): it] }
        def eb = zb.entries().toList().collectEntries { [(it.name): it] }
        (ea.keySet() + eb.keySet()).sort().each { n ->
            if (!ea[n] || !eb[n]) { out << "${n} only in ${ea[n] ? 'the first' : 'the second'} build"; return }
            if (ea[n].time != eb[n].time) out << "${n}: time ${new Date(ea[n].time)} vs ${new Date(eb[n].time)}"
            else if (za.getInputStream(ea[n]).bytes != zb.getInputStream(eb[n]).bytes) out << "${n}: content"
        }
    } }
    if (!out) out << 'same entries and contents; order or archive metadata differ'
    return out.take(10)
}
def compared = []
(['plumb-bom'] + published).each { m ->
    if (!new File(second, "${m}/target").isDirectory()) return      // not in this second build (-Dplumb.dryRun.modules)
    def files = ["${m}/target/flattened-pom.xml"]
    if (m != 'plumb-bom') files += ['', '-sources', '-javadoc'].collect { "${m}/target/${m}-${version}${it}.jar" }
    if (m != 'plumb-bom') files += ["${m}/target/${m}-${version}-cyclonedx.json"]
    files.each { path ->
        def a = new File(main, path); def b = new File(second, path)
        if (path.endsWith('.json') && isOffline && !(a.isFile() && b.isFile())) return
        if (!a.isFile() || !b.isFile()) { problems << "not reproducible: ${path} missing in the ${a.isFile() ? 'second' : 'first'} build"; return }
        if (a.bytes != b.bytes) {
            problems << "not reproducible: ${path} differs between two builds of the same sources" +
                    (path.endsWith('.jar') ? ':\n      ' + entriesDiffer(a, b).join('\n      ') : '')
        } else {
            compared << path
        }
    }
}
if (!compared.any { it.endsWith("rpc-core-${version}.jar") }) problems << 'the second build made no rpc-core jar to compare'

// --- 3. The release profile staged exactly the published modules, unsigned (dry run) -------------------------
def log = new File(second, 'build.log')
def logLines = log.isFile() ? log.readLines() : []
logLines.findAll { it =~ /Installing \S+ to / && !it.contains(' to ' + second.path) }.each {
    problems << "the dry run wrote outside its own directory: ${it.trim()}"
}
def snapshot = version.endsWith('-SNAPSHOT')
def staged = new File(second, snapshot ? 'target/central-deferred' : 'target/central-staging')
if (logLines.any { it.contains('Goal publish requires online mode') }) {
    notes << 'release staging not checked: central-publishing-maven-plugin skips itself offline (-o)'
} else if (!staged.isDirectory()) {
    problems << "the release profile staged nothing (no ${staged})"
} else {
    def stagedFiles = []
    staged.eachFileRecurse(groovy.io.FileType.FILES) { stagedFiles << staged.toPath().relativize(it.toPath()).toString() }
    def artifacts = stagedFiles.findAll { it.startsWith('dev/plumb/') && !it.contains('maven-metadata') }
    def stagedModules = artifacts.collect { it.split('/')[2] } as Set
    def allowed = ['plumb-bom'] + published
    (stagedModules - allowed).each { problems << "the release would publish ${it}, which is not a published module" }
    (['plumb-bom'] + published).each { m ->
        if (!new File(second, "${m}/target").isDirectory()) return
        if (!(m in stagedModules)) { problems << "the release did not stage ${m}"; return }
        def need = m == 'plumb-bom' ? ['.pom'] : ['.jar', '-sources.jar', '-javadoc.jar', '.pom']
        need.each { s -> if (!artifacts.any { it.endsWith("/${m}-${version}${s}") }) problems << "the release would publish ${m} without ${m}-${version}${s}" }
    }
    if (artifacts.any { it.endsWith('.asc') }) problems << 'a dry run signed something (gpg should be skipped)'
    if (!snapshot && !new File(second, 'target/central-publishing/central-bundle.zip').isFile())
        problems << 'no Central bundle (target/central-publishing/central-bundle.zip)'
    notes << "staged for Central (dry run, unsigned, not uploaded): ${stagedModules.sort().join(', ')}"
}

notes.each { println "[release-check] ${it}" }
println "[release-check] reproducible (byte-identical in two builds): ${compared.size()} files"
if (problems) {
    problems.each { println "[release-check] PROBLEM: ${it}" }
    throw new AssertionError("release check failed:\n  - " + problems.join('\n  - '))
}
return true
