# fish completion for xtsync.
#
# Install: copy to ~/.config/fish/completions/ or to the vendor completions directory
# (pkg-config --variable completionsdir fish). Keep in step with cmd/*.cpp
# (tests/unit/test_docs_consistency.cpp checks it).

set -l xtsync_commands get set delete restore list export apply list-deleted purge auth login logout

# No file names unless an option asks for one; TENANT is a GUID.
complete -c xtsync -f

# Commands.
set -l no_command "not __fish_seen_subcommand_from $xtsync_commands"
complete -c xtsync -n $no_command -a get -d 'Show the sync policy of a partner tenant'
complete -c xtsync -n $no_command -a set -d 'Create or update the sync policy of a partner tenant'
complete -c xtsync -n $no_command -a delete -d 'Delete the sync policy (restorable for 30 days)'
complete -c xtsync -n $no_command -a restore -d 'Restore a deleted sync policy (beta)'
complete -c xtsync -n $no_command -a list -d 'List the sync policy of every partner that has one'
complete -c xtsync -n $no_command -a list-deleted -d 'List deleted sync policies (beta)'
complete -c xtsync -n $no_command -a purge -d 'Permanently delete a deleted sync policy (beta)'
complete -c xtsync -n $no_command -a auth -d 'Show how xtsync signs in'
complete -c xtsync -n $no_command -a login -d 'Sign in interactively with a device code and cache the login'
complete -c xtsync -n $no_command -a logout -d "Remove logins cached by 'xtsync login'"

# Global options, accepted before or after the command name.
complete -c xtsync -s h -l help -d 'Show help and exit'
complete -c xtsync -n $no_command -l version -d 'Show version and exit'
complete -c xtsync -s o -l output -x -a 'table json tsv' -d 'Output format'
complete -c xtsync -l api-version -x -a 'beta v1.0' -d 'Graph API version'
complete -c xtsync -l cloud -x -a 'global usgov usgov-dod china' -d 'National cloud'
complete -c xtsync -l graph-url -x -d 'Graph root URL, without version'
complete -c xtsync -l authority-url -x -d 'Login host URL'
complete -c xtsync -l ca-file -r -F -d 'Extra trusted CA bundle (PEM)'
complete -c xtsync -l timeout -x -d 'Per-request timeout in seconds'
complete -c xtsync -l max-retries -x -d 'Retries of throttled or transient failures'
complete -c xtsync -l access-token-file -r -F -d 'Read the access token from FILE (- for stdin)'
complete -c xtsync -l auth -x -a 'token client-secret client-certificate workload-identity github-oidc managed-identity device-code azure-cli' -d 'Force one credential source'
complete -c xtsync -l tenant -x -d 'Tenant to sign in to'
complete -c xtsync -l client-id -x -d 'Application (client) ID'
complete -c xtsync -l client-secret-file -r -F -d 'Read the client secret from FILE (- for stdin)'
complete -c xtsync -l certificate-algorithm -x -a 'PS256 RS256' -d 'Client assertion signature'
complete -c xtsync -l debug -d 'Print every HTTP exchange on stderr, secrets redacted'
complete -c xtsync -s q -l quiet -d 'Print only errors on stderr'
complete -c xtsync -l no-color -d 'Do not color messages'

# get
complete -c xtsync -n '__fish_seen_subcommand_from get' -l deleted -d 'Show the soft-deleted policy (beta)'

# set
set -l in_set '__fish_seen_subcommand_from set'
complete -c xtsync -n $in_set -l display-name -x -d 'Display name of the policy'
complete -c xtsync -n $in_set -l user-sync -x -a 'allow block' -d 'Allow or block user sync from the partner'
complete -c xtsync -n $in_set -l group-sync -x -a 'allow block' -d 'Allow or block group sync from the partner (beta)'
complete -c xtsync -n $in_set -l external-cloud-app-id -x -d 'externalCloudAuthorizedApplicationId (beta)'
complete -c xtsync -n $in_set -l from-file -r -F -d 'JSON object in Graph shape (- for stdin)'
complete -c xtsync -n $in_set -l create-partner -d 'Create the partner configuration first when missing'
complete -c xtsync -n $in_set -l dry-run -d 'Print what would be sent; send no write'

# purge
complete -c xtsync -n '__fish_seen_subcommand_from purge' -s y -l yes -d 'Do not ask for confirmation'
complete -c xtsync -n $no_command -a export -d 'Print every sync policy in the apply file format'
complete -c xtsync -n $no_command -a apply -d 'Make the sync policies of the tenant match a file'
complete -c xtsync -n '__fish_seen_subcommand_from apply' -s f -l file -r -F -d 'The file to apply (- for stdin)'
complete -c xtsync -n '__fish_seen_subcommand_from apply' -l dry-run -d 'Print the plan; send no write'
complete -c xtsync -n '__fish_seen_subcommand_from apply' -l detailed-exitcode -d 'With --dry-run: exit 8 when the plan is not empty'
complete -c xtsync -n '__fish_seen_subcommand_from apply' -l create-partners -d 'Create missing partner configurations first'
complete -c xtsync -n '__fish_seen_subcommand_from apply' -l prune -d 'Also delete policies the file does not name'
complete -c xtsync -n '__fish_seen_subcommand_from apply' -s y -l yes -d 'Do not ask before --prune deletes'
complete -c xtsync -n '__fish_seen_subcommand_from apply' -l parallel -r -d 'Connections to send batches over'

# auth status
complete -c xtsync -n '__fish_seen_subcommand_from auth; and not __fish_seen_subcommand_from status' -a status -d 'Which credential source is used, and what its token allows'

# logout
complete -c xtsync -n '__fish_seen_subcommand_from logout' -l all -d 'Remove every cached login, in every cloud and tenant'
