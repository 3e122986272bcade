# Sourced by benches/site.sh and benches/pgo.sh: a generated corpus's neutral layout gets the
# guide's settings.
#
# guide_settings REPO SITE: the guide's theme and site.yaml, its collection items (pages say
# `about: operators/<id>`) and its UI strings, copied from REPO into SITE afresh, so a corpus
# kept from an earlier run is built with the repo's current theme (a site's themes/ folder
# overrides the binary's built-in theme).
guide_settings() {
    local repo=$1 site=$2 dir
    cp "$repo/site.yaml" "$site/site.yaml"
    for dir in themes data i18n; do
        rm -rf "${site:?}/$dir"
        cp -r "$repo/$dir" "$site/$dir"
    done
}
