// Runs after the templates are written: keeps the chosen kind's extension and test, deletes the other kinds', and
// refuses an unknown kind or an id the host would refuse (deleting the half-generated project, so that the command
// can be run again). The descriptor's validationRegex says the same, but Maven checks it only when it prompts.
import java.nio.file.Files
import java.nio.file.Path

def kinds = ['architecture', 'task', 'sampler', 'compressor']
def properties = request.properties
String kind = properties.getProperty('kind')
Path project = Path.of(request.outputDirectory, request.artifactId)
String id = properties.getProperty('id')
if (!(kind in kinds)) {
    project.toFile().deleteDir()
    throw new IllegalArgumentException("unknown kind '" + kind + "'; use -Dkind=" + kinds.join('|'))
}
// Extension.isValidId: what `recursa plugin install` accepts.
if (!(id ==~ /[a-z][a-z0-9-]{0,63}/)) {
    project.toFile().deleteDir()
    throw new IllegalArgumentException("invalid id '" + id + "'; an extension id is lower-case letters, digits and "
            + "dashes, starting with a letter, at most 64 characters (e.g. -Did=parity)")
}

// Packaging drops dot files from the archetype's jar, so the template's .gitignore travels as gitignore.
Files.move(project.resolve('gitignore'), project.resolve('.gitignore'))

String packagePath = properties.getProperty('package').replace('.', '/')
String prefix = properties.getProperty('className')
// The classes of each kind; an architecture's model is a class of its own.
def classes = [architecture: ['Architecture', 'Model'], task: ['Task'], sampler: ['Sampler'],
               compressor: ['Compressor']]
classes.each { other, suffixes ->
    if (other != kind) {
        suffixes.each { suffix ->
            Files.deleteIfExists(project.resolve("src/main/java/${packagePath}/${prefix}${suffix}.java"))
            Files.deleteIfExists(project.resolve("src/test/java/${packagePath}/${prefix}${suffix}Test.java"))
        }
    }
}
