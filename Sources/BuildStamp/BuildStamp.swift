/// Where the build came from. Its values, `revision`, `branch` and `buildDate`, are written before
/// each build by Plugins/BuildStampPlugin into a generated extension that is not in the repository.
public enum BuildStamp {}
