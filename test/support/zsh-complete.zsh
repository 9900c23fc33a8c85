# Completes a command line in a real interactive zsh, driven through a pseudo-terminal (zsh/zpty), and
# appends every candidate the completion system offers to a file, one a line.
# Usage: zsh -f zsh-complete.zsh <completion script> <command line> <output file>
zmodload zsh/zpty
zpty session zsh -f -i
zpty -w session "autoload -U compinit && compinit -u -D && source ${(q)1}"
# Every candidate passes through compadd: record what it adds (-O lists the matches without adding).
zpty -w session "compadd() { local -a got; builtin compadd -O got \"\$@\"; print -rl -- \$got >> ${(q)3}; builtin compadd \"\$@\"; }"
zpty -w session "print -r -- READY-\$((6*7))"
zpty -r -m session line '*READY-42*'
# Tab completes; zsh reads what follows only once the completion is over: clearing the line and a
# marker command then says every candidate was recorded, whatever the load, with no sleep to guess.
zpty -n -w session "$2"$'\t'$'\C-e\C-u'"print -r -- DONE-\$((6*7))"$'\n'
zpty -r -m session line '*DONE-42*'
zpty -d session
